return NetJournal.Cli.CliApp.Run(args);
