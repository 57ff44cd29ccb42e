using TopicKit.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
