// Offering bytes or text made in the page as a file download (CSV samples, checkpoints).

/** Offers `data` (a string or bytes) to the user as a download named `filename`. */
export function downloadFile(data, filename, type) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  // Revoked later: the download reads the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
