/** The contract of a PowerShell session: named scripts in, JSON envelopes out. */

/** Where a session is in its life; shown to the user as the connection state. */
export type SessionStatus = 'starting' | 'ready' | 'busy' | 'restarting' | 'failed' | 'disposed';

/** A PowerShell error, as structured as PowerShell made it. */
export interface PsErrorInfo {
  /** Why the call failed: a PowerShell error, or the session itself (timeout, crash, not startable). */
  kind: 'powershell' | 'timeout' | 'crashed' | 'not-started' | 'protocol' | 'connection';
  message: string;
  fullyQualifiedErrorId?: string;
  category?: string;
  /** The command (cmdlet or function) that raised it, when known. */
  command?: string;
  /** The script and line where it was raised, when known. */
  scriptName?: string;
  scriptLine?: number;
  /** The PowerShell text of the failing line, when known. */
  line?: string;
  /** The .NET exception type, e.g. System.Management.Automation.ItemNotFoundException. */
  exceptionType?: string;
  /** The remote host the error came from (sessions that forward to a remote host). */
  computerName?: string;
  /** PowerShell's script stack trace (`at <ScriptBlock>, <file>: line N` frames), for the details pane. */
  scriptStackTrace?: string;
}

/** The result of one call: a value or a structured error; non-terminating errors travel alongside. */
export type PsResult<T> =
  | { ok: true; value: T; errors: PsErrorInfo[]; durationMs: number }
  | { ok: false; error: PsErrorInfo; errors: PsErrorInfo[]; durationMs: number };

/** Options of one call. */
export interface InvokeOptions {
  /** Per-call timeout; on expiry the process is killed and restarted, and only this call fails. */
  timeoutMs?: number;
}

/** What every session (local pwsh, later remote) offers to the rest of main/. */
export interface ScriptRunner {
  /** Runs the named script (a .ps1 from the session's script folders) with params passed as data. */
  invoke<T = unknown>(script: string, params?: Record<string, unknown>, options?: InvokeOptions): Promise<PsResult<T>>;
  /** Stops the process and fails anything queued. */
  dispose(): Promise<void>;
  /** The PowerShell process's id while one runs on this computer (the session's). */
  readonly pid?: number | undefined;
  /** Its status changes ('starting', 'ready', 'busy'...): 'ready' and 'busy' come before a script is sent. */
  on?(event: 'status', listener: () => void): unknown;
  off?(event: 'status', listener: () => void): unknown;
}

/** How to start a session. */
export interface PowerShellSessionOptions {
  /** Full path of pwsh / powershell.exe (see findPowerShell). */
  executable: string;
  /** Folders searched, in order, for `<name>.ps1`. */
  scriptDirs: string[];
  /** Extra environment for the PowerShell process. */
  env?: Record<string, string>;
  /** Per-call timeout unless the call says otherwise (ms); default 120,000. */
  defaultTimeoutMs?: number;
  /** Limit for starting the process plus the start-up scripts (ms); default 60,000. */
  startupTimeoutMs?: number;
  /**
   * Scripts run after every (re)start, e.g. loading the simulator and our host functions. `secrets`
   * (a password) never appear in the call line, which PowerShell compiles and so may log: they follow
   * on a line of their own, read as data by the dispatcher, and reach the script as $global:DdaSecrets
   * (not as parameters, whose bindings module logging records).
   */
  startup?: Array<{ script: string; params?: Record<string, unknown>; secrets?: Record<string, string> }>;
  /**
   * Added to every call's timeout (ms): a remote host's session may first have to (re)connect within
   * the call, which has its own limit, so the call's own budget is not eaten by the connecting.
   */
  connectAllowanceMs?: number;
  /** For a session that forwards to a remote host: its name, stamped on every error of this session. */
  computerName?: string;
}

/** What the session knows about the PowerShell it runs. */
export interface PowerShellInfo {
  version: string;
  edition: string;
  pid: number;
}

/** Counters for tests, diagnostics and the benchmark. */
export interface SessionCounters {
  calls: number;
  starts: number;
  restarts: number;
  timeouts: number;
  crashes: number;
}
