// The session's stdout reader: finds one call's result among everything else pwsh prints.

/** A result larger than this is refused and PowerShell restarts (defect 9: nothing unbounded). */
export const MAX_RESULT_CHARS = 256 * 1024 * 1024;

/** Finds `<<DDA-RESULT:id>>payload<<DDA-END>>` in stdout with bounded memory; ignores all other output. */
export class ResultReader {
  private text = '';
  private begin = '';
  private beginAt = -1;
  private scanFrom = 0;
  private onResult: ((payload: string) => void) | null = null;
  private onOverflow: (() => void) | null = null;

  /** Characters held right now (for the memory test). */
  get buffered(): number {
    return this.text.length;
  }

  expect(callId: string, onResult: (payload: string) => void, onOverflow: () => void): void {
    this.text = '';
    this.begin = `<<DDA-RESULT:${callId}>>`;
    this.beginAt = -1;
    this.scanFrom = 0;
    this.onResult = onResult;
    this.onOverflow = onOverflow;
  }

  cancel(): void {
    this.onResult = this.onOverflow = null;
    this.text = '';
  }

  feed(chunk: string): void {
    if (!this.onResult) return; // output between calls is noise
    this.text += chunk;
    if (this.beginAt < 0) {
      const i = this.text.indexOf(this.begin, this.scanFrom);
      if (i < 0) {
        // keep only what could be the start of a split marker
        this.text = this.text.slice(-(this.begin.length - 1));
        this.scanFrom = 0;
        return;
      }
      this.text = this.text.slice(i);
      this.beginAt = 0;
      this.scanFrom = this.begin.length;
    }
    const j = this.text.indexOf('<<DDA-END>>', this.scanFrom);
    if (j < 0) {
      if (this.text.length > MAX_RESULT_CHARS) {
        const overflow = this.onOverflow;
        this.cancel();
        overflow?.();
        return;
      }
      this.scanFrom = Math.max(this.begin.length, this.text.length - 10);
      return;
    }
    const payload = this.text.slice(this.begin.length, j);
    const onResult = this.onResult;
    this.cancel();
    onResult(payload);
  }
}
