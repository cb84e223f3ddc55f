import { z } from "zod";

const schema = z.object({
  LIGHTSTEP_API_URL: z.url().default("https://api.lightstep.com"),
  LIGHTSTEP_ORG: z.string().min(1),
  LIGHTSTEP_PROJECT: z.string().min(1),
  LIGHTSTEP_API_KEY: z.string().min(1),
  LIGHTSTEP_SERVICE: z.string().min(1).default("tyk-gateway"),
});

export interface LightstepConfig {
  baseUrl: string;
  org: string;
  project: string;
  apiKey: string;
  /** The gateway's service name in traces. */
  service: string;
}

/** Reads the Lightstep settings; the error names the bad variables, never their values. */
export function readLightstepConfig(env: Record<string, string | undefined> = process.env): LightstepConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    throw new Error(`Lightstep is not configured: set ${names.join(", ")}`);
  }
  const e = parsed.data;
  return { baseUrl: e.LIGHTSTEP_API_URL, org: e.LIGHTSTEP_ORG, project: e.LIGHTSTEP_PROJECT, apiKey: e.LIGHTSTEP_API_KEY, service: e.LIGHTSTEP_SERVICE };
}
