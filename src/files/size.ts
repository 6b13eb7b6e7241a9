// File sizes as messages show them: `300 MiB`, `1.5 MiB`, `800 KiB`.

/** "300 MiB" or "1.5 MiB" or "800 KiB": sizes in messages. */
export function formatSize(bytes: number): string {
  const mib = bytes / 1024 / 1024;
  if (mib >= 1) return `${Number(mib.toFixed(1))} MiB`;
  return `${Number((bytes / 1024).toFixed(1))} KiB`;
}

/** A size over `maxBytes` as a message shows it: in bytes when rounding would make it look equal. */
export function formatSizeOver(bytes: number, maxBytes: number): string {
  const shown = formatSize(bytes);
  return shown === formatSize(maxBytes) ? `${bytes} bytes` : shown;
}
