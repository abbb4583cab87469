export { startJaegerQueryServer } from './server';
export type { JaegerQueryServer, JaegerQueryServerOptions } from './server';
export { AdrTraceGenerator, adrTraceGeneratorOptionsSchema } from './adrTraces';
export type { AdrTraceGeneratorOptions } from './adrTraces';
export {
  staticTraceSource,
  serviceNameOf,
  str,
  int,
  bool,
  strings,
} from './model';
export type {
  SandboxAttribute,
  SandboxSpan,
  SandboxSpanKind,
  SandboxStatusCode,
  SandboxTrace,
  SandboxValue,
  TraceSource,
} from './model';
export { jaegerTraceId, toJaegerUiTrace, toOtlpTracesData } from './render';
