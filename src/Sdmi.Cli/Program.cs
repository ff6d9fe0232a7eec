using Sdmi.Cli;

return await CommandLine.RunAsync(args);
