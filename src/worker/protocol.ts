import type { Diagnostic, PolicyName } from '../core/index.ts';

/** Requests from the page to the analysis worker. Every request has an id; the newest one wins. */
export type WorkerRequest = {
  id: number;
  type: 'analyze';
  keys: string;
  rules: string;
  implicitShardKey: boolean;
  /** Rows to send back for display; the rest are counted only. */
  maxRows: number;
};

/** One key under each policy that could run. */
export interface PolicyCell {
  slot: number;
  /** Tag as displayed (redis-cli style), or the key error code when slot < 0. */
  tag: string;
  rule: number;
}

export interface KeyRow {
  line: number;
  key: string;
  cells: Partial<Record<PolicyName, PolicyCell>>;
}

export type WorkerResponse =
  | {
      id: number;
      type: 'result';
      keyCount: number;
      rows: KeyRow[];
      policies: PolicyName[];
      keyDiagnostics: Diagnostic[];
      ruleDiagnostics: Diagnostic[];
      /** Keys whose slot differs between the Redis and Standard policies. */
      redisVsStandard: number;
      millis: number;
    }
  | { id: number; type: 'error'; message: string };
