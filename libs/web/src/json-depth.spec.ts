import { JsonDepthGauge, jsonNestsDeeperThan } from './json-depth';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('JSON nesting gauge', () => {
  it('measures arrays and objects, and nothing inside strings', () => {
    expect(jsonNestsDeeperThan(bytes('[[[1]]]'), 3)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('[[[[1]]]]'), 3)).toBe(true);
    expect(jsonNestsDeeperThan(bytes('{"a":{"b":{"c":[]}}}'), 3)).toBe(true);
    expect(jsonNestsDeeperThan(bytes('{"a":"[[[[[[[[{{{{"}'), 1)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('[1],[2],[3]'), 1)).toBe(false);
  });

  it('respects escapes inside strings', () => {
    expect(jsonNestsDeeperThan(bytes('["\\"[[[[", "\\\\"]'), 1)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('["\\\\", [[]]]'), 2)).toBe(true);
  });

  it('stops at the first byte too deep, across chunks', () => {
    const gauge = new JsonDepthGauge(64);
    expect(gauge.push(bytes('['.repeat(40)))).toBe(true);
    expect(gauge.push(bytes('"\\'))).toBe(true);
    expect(gauge.push(bytes('"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["'))).toBe(true);
    expect(gauge.push(bytes('['.repeat(25)))).toBe(false);
    expect(gauge.push(bytes(']'))).toBe(false);
  });

  it('reads multi-byte UTF-8 as opaque', () => {
    expect(jsonNestsDeeperThan(bytes('["日本語[[[", {"ключ": ["значение"]}]'), 3)).toBe(false);
  });

  it('goes through a megabyte of brackets in one pass', () => {
    expect(jsonNestsDeeperThan(Buffer.alloc(1024 * 1024, '['), 64)).toBe(true);
  });
});
