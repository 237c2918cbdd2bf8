/**
 * `kept <verb>`: the command line. Each verb lives in its own module; this file wires them to commander and
 * turns failures into a message and exit code 1 (2 for bad usage).
 */
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config/env.js';
import type { KeptConfig } from '../config/env.js';
import { ImportInputError } from '../ingest/import-error.js';
import { UsageError } from './cli-options.js';

type Register = (program: Command, config: KeptConfig) => void;

const serve = async (): Promise<Register> => (await import('./commands/serve.js')).registerServeCommands;
/** Each top-level verb and the module that registers it. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  serve,
  start: serve,
  import: async () => (await import('./commands/import.js')).registerImportCommand,
  journey: async () => (await import('./commands/journey.js')).registerJourneyCommands,
  demo: async () => (await import('./commands/demo.js')).registerDemoCommand,
  migrate: async () => (await import('./commands/migrate.js')).registerMigrateCommand,
  workspace: async () => (await import('./commands/workspace.js')).registerWorkspaceCommands,
  clv: async () => (await import('./commands/clv.js')).registerClvCommand,
  value: async () => (await import('./commands/value.js')).registerValueCommand,
};

const program = new Command();
program.name('kept').description('Kept: promises kept, customers kept.').version('0.1.0').exitOverride();

/** Whether the command line only asks for help or the version: answered even when the environment is invalid. */
const asksForHelp = (args: readonly string[]): boolean =>
  args.length === 0 || args[0] === 'help' || args.some((a) => a === '-h' || a === '--help' || a === '-V' || a === '--version');

/** The configuration; for a help request with an invalid environment, the defaults, with a warning. */
function configFor(args: readonly string[]): KeptConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError) || !asksForHelp(args)) throw error;
    console.error(`kept: warning: ${error.message}\n(help shows the defaults; other commands stop until this is fixed)`);
    return loadConfig({});
  }
}

try {
  const config = configFor(process.argv.slice(2));
  // Only the verb being run is loaded: loading every command pulls in the server, both database drivers and the
  // analytics (~0.5 s), which would dominate quick verbs such as `kept journey discover` on a small log.
  const verb = process.argv[2];
  const wanted = verb !== undefined && verb in COMMANDS ? [COMMANDS[verb]!] : [...new Set(Object.values(COMMANDS))];
  for (const load of wanted) (await load())(program, config);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander printed it already (verbs' actions throw UsageError, never commander's errors).
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof ConfigError || error instanceof ImportInputError || error instanceof UsageError) {
    console.error(`kept: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(`kept: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
