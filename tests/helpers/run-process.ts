/** Runs a command to completion from the project root, for tests of scripts and examples. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/utils/paths.js';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Only PATH and `env` reach the command, so a developer's environment cannot change what a test
 * runs (a .env file still can: give every variable it might set).
 */
export async function runProcess(file: string, args: string[], env: Record<string, string> = {}): Promise<ProcessResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, ...env },
      timeout: 25_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    // execFile rejects on a non-zero exit, with the output attached to the error.
    const { code, stdout = '', stderr = '' } = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof code === 'number' ? code : -1, stdout, stderr: stderr || String(error) };
  }
}
