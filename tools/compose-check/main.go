// compose-check loads a Compose file with compose-go, the loader `docker compose` itself uses:
// JSON-schema validation (an unknown key is an error), ${VAR} interpolation from the
// environment and the file's .env, and the consistency checks (depends_on, volumes, networks).
// Every profile is enabled, so services behind one are checked too.
//
//	go run . ../../docker-compose.yml
//	go run . -env api ../../docker-compose.yml   # that service's resolved environment, as JSON
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/loader"
)

func main() {
	envOf := flag.String("env", "", "print this service's resolved environment as JSON instead of a summary")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: compose-check [-env service] <compose file>")
		os.Exit(2)
	}
	file, err := filepath.Abs(flag.Arg(0))
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
	if *envOf != "" {
		service, err := project.GetService(*envOf)
		if err != nil {
			fail(err)
		}
		out, err := json.Marshal(service.Environment)
		if err != nil {
			fail(err)
		}
		fmt.Println(string(out))
		return
	}
	fmt.Printf("OK %s: project %s, services %s\n", flag.Arg(0), project.Name, strings.Join(project.ServiceNames(), ", "))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "compose-check %s: %v\n", strings.Join(os.Args[1:], " "), err)
	os.Exit(1)
}
