// compose-check loads a Compose file with compose-go, the loader `docker compose` itself uses:
// JSON-schema validation (an unknown key is an error), ${VAR} interpolation from the
// environment and the file's .env, and the consistency checks (depends_on, volumes, networks).
// Every profile is enabled, so services behind one are checked too.
//
//	go run . ../../docker-compose.yml
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/loader"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <compose file>")
		os.Exit(2)
	}
	file, err := filepath.Abs(os.Args[1])
	if err != nil {
		fail(err)
	}
	options, err := cli.NewProjectOptions([]string{file},
		cli.WithWorkingDirectory(filepath.Dir(file)),
		cli.WithOsEnv,
		cli.WithEnvFiles(),
		cli.WithDotEnv,
		cli.WithInterpolation(true),
		cli.WithConsistency(true),
		cli.WithProfiles([]string{"*"}),
		cli.WithLoadOptions(func(o *loader.Options) { o.SkipValidation = false }),
	)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	fmt.Printf("OK %s: project %s, services %s\n", os.Args[1], project.Name, strings.Join(project.ServiceNames(), ", "))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "compose-check %s: %v\n", os.Args[1], err)
	os.Exit(1)
}
