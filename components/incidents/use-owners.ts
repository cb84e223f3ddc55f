"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchOwners } from "./api";

/** People who can own an incident (responders and admins), fetched when the picker opens. */
export function useOwners(enabled: boolean) {
  return useQuery({ queryKey: ["incident-owners"], queryFn: ({ signal }) => fetchOwners(signal), enabled, staleTime: 5 * 60_000 });
}
