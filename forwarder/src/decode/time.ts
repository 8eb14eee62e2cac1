/**
 * Message time → POSIX seconds. Insights writes ISO-8601 with microseconds and no zone, meaning
 * UTC; `Date.parse` would read that as local time, so the zone is handled here.
 */

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch values at or above this are milliseconds (this is year 33658 in seconds). */
const MILLISECONDS_THRESHOLD = 1e12;

let lastPrefix = '';
let lastPrefixSeconds = 0;

/** Whole seconds since the epoch, or undefined when the value is not a time we understand. */
export function parseTimeSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return epochSeconds(value);
  if (typeof value !== 'string') return undefined;
  // Messages of one second share the first 19 characters; most are parsed from that cache.
  if (lastPrefix.length === 19 && value.length === 26 && value.startsWith(lastPrefix) && hasMicroseconds(value)) {
    return lastPrefixSeconds;
  }
  const match = ISO_DATE_TIME.exec(value);
  if (!match) {
    return /^\d+(\.\d+)?$/.test(value) ? epochSeconds(Number(value)) : undefined;
  }
  const [, y, mo, d, h, mi, s, zone] = match;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  const utc = Date.UTC(Number(y), month - 1, day, hour, minute, second) / 1000;
  const seconds = utc - zoneOffsetSeconds(zone);
  if (zone === undefined && value.length === 26 && hasMicroseconds(value)) {
    lastPrefix = value.slice(0, 19);
    lastPrefixSeconds = seconds;
  }
  return seconds;
}

/** `.dddddd` at positions 19-25: the zone-less Insights form. */
function hasMicroseconds(value: string): boolean {
  if (value.charCodeAt(19) !== 46) return false;
  for (let i = 20; i < 26; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function zoneOffsetSeconds(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 3600 + minutes * 60);
}

function epochSeconds(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return Math.floor(value >= MILLISECONDS_THRESHOLD ? value / 1000 : value);
}
