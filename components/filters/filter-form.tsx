"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { isoToLocalInput, localInputToIso, toQuery, type Filters } from "./filter-url";

export interface FilterSpec {
  name: string;
  label: string;
  placeholder?: string;
  kind?: "text" | "time";
}

/** A row of filters that writes them to the page URL (so the view can be shared); times are UTC. */
export function FilterForm({ basePath, specs, current }: { basePath: string; specs: FilterSpec[]; current: Filters }) {
  const router = useRouter();
  const [values, setValues] = useState<Filters>(() =>
    Object.fromEntries(specs.map((s) => [s.name, s.kind === "time" ? isoToLocalInput(current[s.name]) : (current[s.name] ?? "")])),
  );
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const out: Filters = {};
    for (const s of specs) out[s.name] = s.kind === "time" ? localInputToIso(values[s.name] ?? "") : (values[s.name] ?? "");
    router.push(`${basePath}${toQuery(out)}`);
  };
  const clear = () => {
    setValues(Object.fromEntries(specs.map((s) => [s.name, ""])));
    router.push(basePath);
  };
  return (
    <form onSubmit={submit} role="search" aria-label="Filters" className="mb-5 flex flex-wrap items-end gap-3 rounded-2xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      {specs.map((s) => (
        <Field
          key={s.name}
          label={s.kind === "time" ? `${s.label} (UTC)` : s.label}
          name={s.name}
          type={s.kind === "time" ? "datetime-local" : "text"}
          placeholder={s.placeholder}
          value={values[s.name] ?? ""}
          onChange={(e) => setValues((v) => ({ ...v, [s.name]: e.target.value }))}
          className={s.kind === "time" ? "w-52" : "w-48"}
        />
      ))}
      <div className="flex gap-2">
        <Button type="submit" variant="primary">Apply</Button>
        <Button onClick={clear} variant="ghost">Clear</Button>
      </div>
    </form>
  );
}
