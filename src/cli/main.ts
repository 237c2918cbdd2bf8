/**
 * `kept <verb>`: the command line. Each verb lives in its own module; this file wires them to commander and
 * turns failures into a message and exit code 1 (2 for bad usage).
 */
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config/env.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerImportCommand } from './commands/import.js';
import { registerJourneyCommands } from './commands/journey.js';
import { registerServeCommands } from './commands/serve.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerWorkspaceCommands } from './commands/workspace.js';
import { registerClvCommand } from './commands/clv.js';
import { registerValueCommand } from './commands/value.js';
import { ImportInputError } from '../ingest/import-file.js';

const program = new Command();
program.name('kept').description('Kept: promises kept, customers kept.').version('0.1.0').exitOverride();

try {
  const config = loadConfig();
  registerServeCommands(program, config);
  registerImportCommand(program, config);
  registerJourneyCommands(program, config);
  registerDemoCommand(program, config);
  registerMigrateCommand(program, config);
  registerWorkspaceCommands(program, config);
  registerClvCommand(program, config);
  registerValueCommand(program, config);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof ConfigError || error instanceof ImportInputError) {
    console.error(`kept: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(`kept: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
