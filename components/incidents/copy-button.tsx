"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Copies text to the clipboard and says so (politely, for screen readers too). */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2000);
  };
  return (
    <Button onClick={copy} data-testid={testId}>
      {label}
      <span aria-live="polite" className="text-xs text-slate-500">{state === "copied" ? "✓ copied" : state === "failed" ? "copy failed — select the text" : ""}</span>
    </Button>
  );
}
