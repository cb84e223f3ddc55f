/**
 * zod schemas for the Lightstep public API v0.2 responses we read (JSON:API envelopes, kebab-case
 * attributes). Unknown fields pass through; the ones we use are required, so a renamed field is a
 * TraceShapeError rather than silent zeros.
 */
import { z } from "zod";

export const errorEnvelope = z.object({
  errors: z.array(z.object({ status: z.union([z.string(), z.number()]).optional(), title: z.string().optional(), detail: z.string().optional() })),
});

export const servicesResponse = z.object({
  data: z.object({
    items: z.array(z.object({ attributes: z.object({ name: z.string() }) })),
  }),
});

export const streamResource = z.object({
  id: z.string(),
  type: z.string().optional(),
  attributes: z.object({ name: z.string(), query: z.string() }),
});
export type StreamResource = z.infer<typeof streamResource>;

export const streamsResponse = z.object({ data: z.array(streamResource) });
export const streamResponse = z.object({ data: streamResource });

/** Quirk: timeseries exemplars use snake_case keys, unlike everything else in this API. */
export const timeseriesExemplar = z.object({
  span_guid: z.string(),
  trace_guid: z.string().optional(),
  trace_handle: z.string().optional(),
  oldest_micros: z.number(),
  youngest_micros: z.number(),
  duration_micros: z.number().optional(),
  has_error: z.boolean().optional(),
});

export const timeseriesResponse = z.object({
  data: z.object({
    attributes: z.object({
      "time-windows": z.array(z.object({ "oldest-time": z.string(), "youngest-time": z.string() })),
      latencies: z.array(z.object({ percentile: z.number(), "latency-ms": z.array(z.number().nullable()) })).optional(),
      "ops-counts": z.array(z.number()).optional(),
      "error-counts": z.array(z.number()).optional(),
      exemplars: z.array(timeseriesExemplar).nullable().optional(),
    }),
  }),
});
export type TimeseriesResponse = z.infer<typeof timeseriesResponse>;

const tagValue = z.union([z.string(), z.number(), z.boolean()]);

export const storedTracesResponse = z.object({
  data: z.array(
    z.object({
      attributes: z.object({
        spans: z.array(
          z.object({
            "span-id": z.string(),
            "span-name": z.string(),
            "trace-id": z.string(),
            "reporter-id": z.string(),
            "is-error": z.boolean().optional(),
            "start-time-micros": z.number(),
            "end-time-micros": z.number(),
            tags: z.record(z.string(), tagValue).optional(),
          }),
        ),
      }),
      relationships: z
        .object({
          reporters: z.array(
            z.object({ "reporter-id": z.string(), attributes: z.record(z.string(), tagValue).optional() }),
          ),
        })
        .optional(),
    }),
  ),
});
export type StoredTracesResponse = z.infer<typeof storedTracesResponse>;

export const queryTimeseriesResponse = z.object({
  data: z.object({
    attributes: z.object({
      series: z.array(
        z.object({
          "group-labels": z.array(z.string()).optional(),
          points: z.array(z.tuple([z.number(), z.number().nullable()])),
        }),
      ),
    }),
  }),
});
