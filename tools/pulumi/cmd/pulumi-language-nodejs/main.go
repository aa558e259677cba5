// A minimal Node.js language host for the Pulumi engine.
//
// Pulumi's own host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) cannot
// be fetched through the Go module proxy reachable here, so this project ships the part of it a
// program like ours needs: Run starts @pulumi/pulumi's own runner (cmd/run) under node with the
// engine's settings. Dependencies are installed by npm, not by this host; no plugins are required
// (the dynamic-provider plugin is bundled with the CLI). GeneratePackage serves `pulumi package gen-sdk`
// with Pulumi's own Node.js code generator, and RunPlugin runs Node.js policy packs (the engine runs a
// PulumiPolicy.yaml folder through its runtime's language host).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"dojo-jira/tools/pulumi/internal/langhost"

	"github.com/google/shlex"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Exit code @pulumi/pulumi's runner uses after it has already shown the user an actionable message.
const bailExitCode = 32

var version = "3.248.0"

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	engineAddress := ""
	for _, arg := range os.Args[1:] {
		if !strings.HasPrefix(arg, "-") {
			engineAddress = arg // flags such as -root or -tracing are accepted and ignored
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{engineAddress: engineAddress})
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *host) GetRequiredPlugins(context.Context, *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetProgramDependencies(context.Context, *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) InstallDependencies(_ *pulumirpc.InstallDependenciesRequest, _ grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]) error {
	return nil // npm ci installs them; the engine only calls this for `pulumi install`
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: "node", Version: strings.TrimSpace(string(out))}, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	pwd, program := req.GetPwd(), req.GetProgram()
	rootDirectory := pwd
	if info := req.GetInfo(); info != nil {
		pwd, program, rootDirectory = info.GetProgramDirectory(), info.GetEntryPoint(), info.GetRootDirectory()
	}
	if program == "" {
		program = "."
	}
	runner, err := resolveRunner(pwd)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	options, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	args := append(options.nodeArgs, runner, "--monitor", req.GetMonitorAddress(), "--pwd", pwd, "--root-directory", rootDirectory,
		"--project", req.GetProject(), "--stack", req.GetStack(), "--parallel", fmt.Sprint(req.GetParallel()))
	if h.engineAddress != "" {
		args = append(args, "--engine", h.engineAddress)
	}
	if req.GetOrganization() != "" {
		args = append(args, "--organization", req.GetOrganization())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	args = append(append(args, program), req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = pwd
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = append(append(os.Environ(), "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys)), options.env...)
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// runOptions are Pulumi.yaml's `runtime.options` for nodejs, read as Pulumi's own host reads them:
// `typescript` (default true: the runner registers ts-node, loading TypeScript's compiler),
// `tsconfig`, and `nodeargs` (split as a shell would, before the runner).
type runOptions struct {
	nodeArgs []string
	env      []string
}

func parseOptions(options map[string]interface{}) (runOptions, error) {
	var parsed runOptions
	typescript := true
	if value, ok := options["typescript"]; ok {
		flag, isBool := value.(bool)
		if !isBool {
			return parsed, errors.New("typescript option must be a boolean")
		}
		typescript = flag
	}
	if typescript {
		parsed.env = append(parsed.env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if value, ok := options["tsconfig"]; ok {
		path, isString := value.(string)
		if !isString {
			return parsed, errors.New("tsconfig option must be a string")
		}
		parsed.env = append(parsed.env, "PULUMI_NODEJS_TSCONFIG_PATH="+path)
	}
	if value, ok := options["nodeargs"]; ok {
		text, isString := value.(string)
		if !isString {
			return parsed, errors.New("nodeargs option must be a string")
		}
		args, err := shlex.Split(text)
		if err != nil {
			return parsed, fmt.Errorf("nodeargs option: %w", err)
		}
		parsed.nodeArgs = args
	}
	return parsed, nil
}

func (h *host) GeneratePackage(_ context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
	return langhost.GeneratePackage(req, func(req *pulumirpc.GeneratePackageRequest, pkg *schema.Package, loader schema.ReferenceLoader) (map[string][]byte, error) {
		return nodejs.GeneratePackage("pulumi-language-nodejs", pkg, req.GetExtraFiles(), req.GetLocalDependencies(), req.GetLocal(), loader)
	})
}

// RunPlugin runs a plugin folder with @pulumi/pulumi's plugin runners, resolved from that folder as node
// would. A policy pack (kind "analyzer") gets the engine address first and its folder last, and runs in
// its own folder, so that its own node_modules are the ones used.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]) error {
	dir := req.GetInfo().GetProgramDirectory()
	runner, args, cwd := "run-plugin", append([]string{dir}, req.GetArgs()...), req.GetPwd()
	if req.GetKind() == "analyzer" {
		runner, args, cwd = "run-policy-pack", append(append([]string{}, req.GetArgs()...), dir), dir
	}
	path, err := resolveModule(dir, runner)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(server.Context(), "node", append([]string{path}, args...)...)
	cmd.Dir = cwd
	cmd.Env = append(os.Environ(), req.GetEnv()...) // the engine's entries win
	return langhost.RunPlugin(cmd, server)
}

// resolveRunner finds @pulumi/pulumi's cmd/run from the program directory, as node would.
func resolveRunner(pwd string) (string, error) {
	return resolveModule(pwd, "run")
}

// resolveModule finds @pulumi/pulumi's cmd/<runner>/index.js from pwd. @pulumi/pulumi has no "exports"
// map, so node's own lookup for it is this walk: up the physical path (node resolves symbolic links
// first), one node_modules folder per directory that is not itself a node_modules. Node is asked only
// when the walk finds nothing (NODE_PATH, global folders), since starting it costs about 50 ms a run.
func resolveModule(pwd, runner string) (string, error) {
	start, err := filepath.EvalSymlinks(pwd)
	if err != nil {
		start = pwd
	}
	for dir := start; ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", runner, "index.js")
		if filepath.Base(dir) != "node_modules" {
			if info, err := os.Stat(candidate); err == nil && !info.IsDir() {
				return candidate, nil
			}
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	resolve := exec.Command("node", "-e", "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/"+runner+"'))")
	resolve.Dir = pwd
	if out, err := resolve.Output(); err == nil {
		return strings.TrimSpace(string(out)), nil
	}
	return "", errors.New("@pulumi/pulumi is not installed next to the program: run npm ci")
}
