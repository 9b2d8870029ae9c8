// IP parsing written out by hand: domain/ stays free of node:net, and a hand parser is both
// faster than a regex and immune to pathological input.

/**
 * The canonical text form of an IPv4 or IPv6 address, or null when the text is not one.
 * IPv4: dotted decimal; leading zeros are rejected because parsers disagree on whether "010" is
 * octal. IPv6: RFC 5952 (lower case, no leading zeros, the longest run of two or more zero groups
 * compressed, the first on a tie). An IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes plain IPv4
 * so that one host seen by a dual-stack sensor and an IPv4 one correlates. Surrounding brackets
 * and an IPv6 zone index (%eth0) are dropped. CIDR suffixes and ports are not addresses: null.
 */
export function canonicalIp(text: string): string | null {
  let value = text.trim();
  if (value.length < 2 || value.length > 64) return null;
  if (value.charCodeAt(0) === 91 /* [ */ && value.charCodeAt(value.length - 1) === 93 /* ] */) {
    value = value.slice(1, -1);
  }
  if (value.includes(':')) return canonicalIpv6(value);
  return parseIpv4(value) === null ? null : value;
}

/** True for 0.0.0.0 and ::, which name no host. */
export function isUnspecifiedIp(canonical: string): boolean {
  return canonical === '0.0.0.0' || canonical === '::';
}

function parseIpv4(text: string): number[] | null {
  const octets: number[] = [];
  let current = -1;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46 /* . */) {
      if (digits === 0 || octets.length === 3) return null;
      octets.push(current);
      current = -1;
      digits = 0;
      continue;
    }
    if (code < 48 || code > 57) return null;
    if (digits > 0 && current === 0) return null; // leading zero
    current = digits === 0 ? code - 48 : current * 10 + (code - 48);
    digits++;
    if (current > 255) return null;
  }
  if (digits === 0 || octets.length !== 3) return null;
  octets.push(current);
  return octets;
}

function canonicalIpv6(input: string): string | null {
  let text = input;
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const doubleColon = text.indexOf('::');
  if (doubleColon !== -1 && text.indexOf('::', doubleColon + 1) !== -1) return null;

  const head = doubleColon === -1 ? text : text.slice(0, doubleColon);
  const tail = doubleColon === -1 ? '' : text.slice(doubleColon + 2);
  const headGroups = parseGroups(head, doubleColon === -1);
  if (headGroups === null) return null;
  const tailGroups = doubleColon === -1 ? [] : parseGroups(tail, true);
  if (tailGroups === null) return null;

  const total = headGroups.length + tailGroups.length;
  let groups: number[];
  if (doubleColon === -1) {
    if (total !== 8) return null;
    groups = headGroups;
  } else {
    if (total > 7) return null;
    groups = [...headGroups, ...new Array<number>(8 - total).fill(0), ...tailGroups];
  }

  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) {
    return `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`;
  }
  return formatIpv6(groups);
}

/** Colon-separated hex groups; the last one may be dotted IPv4 (two groups) when `ipv4TailAllowed`. */
function parseGroups(text: string, ipv4TailAllowed: boolean): number[] | null {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i === parts.length - 1 && ipv4TailAllowed && part.includes('.')) {
      const octets = parseIpv4(part);
      if (octets === null) return null;
      const [a, b, c, d] = octets as [number, number, number, number];
      groups.push((a << 8) | b, (c << 8) | d);
      continue;
    }
    if (part.length === 0 || part.length > 4) return null;
    let value = 0;
    for (let j = 0; j < part.length; j++) {
      const digit = hexDigit(part.charCodeAt(j));
      if (digit < 0) return null;
      value = value * 16 + digit;
    }
    groups.push(value);
  }
  return groups;
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

function formatIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestLength < 2) return groups.map((group) => group.toString(16)).join(':');
  const before = groups
    .slice(0, bestStart)
    .map((group) => group.toString(16))
    .join(':');
  const after = groups
    .slice(bestStart + bestLength)
    .map((group) => group.toString(16))
    .join(':');
  return `${before}::${after}`;
}
