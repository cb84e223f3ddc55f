import { Badge } from "@/components/ui/badge";

const TONE = {
  pending: "warn", approved: "info", issuing: "info", issued: "good", denied: "bad", cancelled: "neutral", lapsed: "neutral", expired: "neutral", revoked: "neutral",
} as const;

export function RequestStatus({ status }: { status: keyof typeof TONE }) {
  return <Badge tone={TONE[status]}>{status}</Badge>;
}
