// What a transformer may do besides returning resources: report warnings. Nothing else (no I/O, no clock).
export interface CompileContext {
  warn(message: string): void;
}

export const silentContext: CompileContext = { warn: () => {} };
