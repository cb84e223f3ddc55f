/**
 * A TraceSource that counts how its calls ended, so a sync run can tell a backend that answered
 * some requests (faults make the run "partial") from one that answered none (the run "failed": the
 * latency data is not current, and the console says so). A capability the backend lacks
 * (TraceUnsupportedError) is neither: the sync takes another path.
 */
import { TraceUnsupportedError } from "@/lib/traces/errors";
import type { TraceSource } from "@/lib/traces/trace-source";

export interface CallCounts {
  answered: number;
  failed: number;
}

export function countedSource(source: TraceSource, counts: CallCounts): TraceSource {
  const count = <T>(call: Promise<T>): Promise<T> =>
    call.then(
      (value) => {
        counts.answered++;
        return value;
      },
      (err: unknown) => {
        if (!(err instanceof TraceUnsupportedError)) counts.failed++;
        throw err;
      },
    );
  return {
    backend: source.backend,
    listServices: (o) => count(source.listServices(o)),
    listOperations: (service, o) => count(source.listOperations(service, o)),
    latencySeries: (q, o) => count(source.latencySeries(q, o)),
    exemplars: (q, o) => count(source.exemplars(q, o)),
    latencyWithExemplars: (q, o) => count(source.latencyWithExemplars(q, o)),
    getTrace: (id, o) => count(source.getTrace(id, o)),
    latencyByAttribute: (q, o) => count(source.latencyByAttribute(q, o)),
    latencyByOperation: (q, o) => count(source.latencyByOperation(q, o)),
    serviceVersions: (q, o) => count(source.serviceVersions(q, o)),
    routes: (q, o) => count(source.routes(q, o)),
  };
}
