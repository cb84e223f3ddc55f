import { z } from "zod";
import { boundedDate } from "./bounds";

/**
 * A date filter from a query string ("2026-11-20", an ISO time, epoch ms). Limited to the years
 * PostgreSQL's timestamp and the app both take: "0000-01-01" parses in JS (year 0 = 1 BC) but the
 * database rejects it, which failed an export mid-stream instead of answering 400.
 */
export const filterDate = z.coerce.date().pipe(boundedDate);
