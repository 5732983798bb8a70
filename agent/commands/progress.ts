// One self-overwriting progress line on a terminal, at most four updates a second.
import type { WriteStream } from 'node:tty';

export class ProgressLine {
  #last = 0;
  #shown = false;
  constructor(readonly out: WriteStream) {}

  update(text: string): void {
    const now = Date.now();
    if (now - this.#last < 250) return;
    this.#last = now;
    const width = Math.max(20, (this.out.columns ?? 80) - 1);
    this.out.write(`\r${text.slice(0, width).padEnd(width)}`);
    this.#shown = true;
  }

  clear(): void {
    if (this.#shown) this.out.write(`\r${' '.repeat(Math.max(20, (this.out.columns ?? 80) - 1))}\r`);
    this.#shown = false;
  }
}
