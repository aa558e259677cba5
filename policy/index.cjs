// The policy pack's entry: @pulumi/pulumi's policy-pack runner require()s this folder, and the pack
// itself is an ES module of the built package (dist/policy/pack.js).
module.exports = () => import("../dist/policy/pack.js");
