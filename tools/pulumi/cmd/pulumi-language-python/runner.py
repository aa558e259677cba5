# Runs a Pulumi Python program for the minimal language host beside this file (embedded in it and run
# with `python -c`): the part of Pulumi's own pulumi-language-python-exec that a program needs, on the
# public API of the `pulumi` package the program's interpreter has installed.
import argparse
import asyncio
import logging
import os
import runpy
import sys
import traceback

# Exit code the host turns into "bail": the error was already shown to the user through the engine.
BAIL = 32

try:
    import pulumi
    import pulumi.runtime
except ImportError:
    print(traceback.format_exc(), file=sys.stderr)
    print("The pulumi package is not installed for " + sys.executable
          + ": pip install pulumi in the program's virtual environment (runtime option virtualenv).",
          file=sys.stderr)
    sys.exit(1)

ap = argparse.ArgumentParser()
for flag in ("monitor", "engine", "project", "stack", "parallel", "organization", "root-directory", "pwd"):
    ap.add_argument("--" + flag)
ap.add_argument("--dry-run", action="store_true")
ap.add_argument("program")
ap.add_argument("args", nargs="*")
args = ap.parse_args()

# The host passes the stack config in PULUMI_CONFIG and the secret keys in PULUMI_CONFIG_SECRET_KEYS.
pulumi.runtime.set_all_config(pulumi.runtime.get_config_env(), pulumi.runtime.get_config_secret_keys_env())
pulumi.runtime.configure(pulumi.runtime.Settings(
    monitor=args.monitor, engine=args.engine, project=args.project, stack=args.stack,
    parallel=int(args.parallel or 0) or None, dry_run=args.dry_run, organization=args.organization or None,
    root_directory=getattr(args, "root_directory") or None,
))
if args.pwd:
    os.chdir(args.pwd)
sys.argv = [args.program] + args.args

# A program whose graph fails part-way leaves futures nobody awaits; asyncio's complaints about them
# would only bury the real error.
logging.getLogger("asyncio").setLevel(logging.CRITICAL)
loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
code = BAIL
try:
    loop.run_until_complete(pulumi.runtime.run_in_stack(lambda: runpy.run_path(args.program, run_name="__main__")))
    code = 0
except KeyboardInterrupt:
    # The engine stops the program with SIGINT (to its process group) once a step has failed and it
    # has said why: a Python traceback of where the loop was waiting would only hide that message.
    pass
except pulumi.RunError as e:
    pulumi.log.error(str(e))
except Exception:
    pulumi.log.error("Program failed with an unhandled exception:\n" + traceback.format_exc())
finally:
    loop.close()
    sys.stdout.flush()
    sys.stderr.flush()
sys.exit(code)
