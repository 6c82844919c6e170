/**
 * CSV for the evidence pack: RFC 4180 (comma, double quotes, CRLF), UTF-8 with a byte-order mark so a
 * spreadsheet opens names like "Rosewood House — Elm Court" as typed. People typed most of the text, so a cell
 * that a spreadsheet would run as a formula (starting =, +, -, @, tab or carriage return) is prefixed with an
 * apostrophe: the pack must never run anything on an inspector's machine.
 */
export type CsvValue = string | number | boolean | undefined | null;

export const CSV_BOM = "\uFEFF";
const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** The first chunk of a CSV file: the byte-order mark and the header row. */
export function csvHeader(columns: readonly string[]): string {
  return CSV_BOM + csvLine(columns);
}
