// Package langhost holds what this module's minimal language hosts share: SDK generation through
// Pulumi's own code generators (the CLI's `pulumi package gen-sdk` asks the language host for it),
// and plugin processes whose output is streamed back to the engine.
package langhost

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// Generator is a language's package generator from pkg/codegen (nodejs.GeneratePackage, python.GeneratePackage).
type Generator func(req *pulumirpc.GeneratePackageRequest, pkg *schema.Package, loader schema.ReferenceLoader) (map[string][]byte, error)

// GeneratePackage binds the schema the engine sends, with the engine's schema loader for any package it
// references, and writes the generator's files under req.Directory (which the CLI has emptied).
func GeneratePackage(req *pulumirpc.GeneratePackageRequest, generate Generator) (*pulumirpc.GeneratePackageResponse, error) {
	client, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer client.Close()
	loader := schema.NewCachedLoader(client)

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, err
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	// Schema errors go back as diagnostics: the CLI prints them with their positions.
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	files, err := generate(req, pkg, loader)
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		out := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}

// streamWriter sends a plugin's output to the engine. Its stdout and stderr are copied by two goroutines,
// and a gRPC stream must not be sent on concurrently: one lock for both.
type streamWriter struct {
	mu     *sync.Mutex
	server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]
	stderr bool
}

func (w streamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	data := append([]byte(nil), p...)
	var out pulumirpc.RunPluginResponse
	if w.stderr {
		out.Output = &pulumirpc.RunPluginResponse_Stderr{Stderr: data}
	} else {
		out.Output = &pulumirpc.RunPluginResponse_Stdout{Stdout: data}
	}
	if err := w.server.Send(&out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// RunPlugin runs cmd to completion with its output streamed to the engine (which reads the plugin's port
// from the first line of stdout), then sends its exit code.
func RunPlugin(cmd *exec.Cmd, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]) error {
	var mu sync.Mutex
	cmd.Stdout = io.Writer(streamWriter{mu: &mu, server: server})
	cmd.Stderr = io.Writer(streamWriter{mu: &mu, server: server, stderr: true})
	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return fmt.Errorf("could not start the plugin: %w", err)
		}
		code = int32(exit.ExitCode())
	}
	mu.Lock()
	defer mu.Unlock()
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}
