// Every problem found while a command checks its options (and what it checks with them: a command to run, a folder,
// a file to write) is collected here and thrown as one error, so the operator fixes them all in one go.
import { type ErrorCode, OomsleuthError } from '../errors.js';

export interface Problem {
  readonly code: ErrorCode;
  readonly message: string;
}

export class Problems {
  private readonly list: Problem[] = [];

  /** `command` starts the message: `guard: …`, `analyze cannot start:`. */
  constructor(private readonly command: string) {}

  /** A bad flag, argument or combination of them. */
  usage(message: string): void {
    this.list.push({ code: 'OOMS_E_USAGE', message });
  }

  /** A problem with its own code: a command not found, a folder missing, a file that cannot be written. */
  add(code: ErrorCode, message: string): void {
    this.list.push({ code, message });
  }

  get isEmpty(): boolean {
    return this.list.length === 0;
  }

  /**
   * Throws one error listing every problem, usage first (the ones fixed on the command line), each with its code;
   * the error's code is the first problem's, so a single problem keeps its own.
   */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const usage = this.list.filter((p) => p.code === 'OOMS_E_USAGE');
    const problems = [...usage, ...this.list.filter((p) => p.code !== 'OOMS_E_USAGE')];
    const first = problems[0]!;
    if (problems.length === 1) {
      throw new OomsleuthError(first.code, `${this.command}: ${first.message} [${first.code}]`);
    }
    throw new OomsleuthError(
      first.code,
      `${this.command} cannot start:\n${problems.map((p) => `  - ${p.message} [${p.code}]`).join('\n')}`,
    );
  }
}
