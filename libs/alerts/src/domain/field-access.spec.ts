import { getField, unwrapSearchHit } from './field-access';

describe('getField', () => {
  it('reads flat dotted keys, nested objects and any mix of both', () => {
    const document = {
      'kibana.alert.rule.name': 'flat',
      host: { name: 'nested' },
      kibana: { 'alert.uuid': 'mixed' },
      'source.geo': { city: 'Paris' },
    };
    expect(getField(document, 'kibana.alert.rule.name')).toBe('flat');
    expect(getField(document, 'host.name')).toBe('nested');
    expect(getField(document, 'kibana.alert.uuid')).toBe('mixed');
    expect(getField(document, 'source.geo.city')).toBe('Paris');
    expect(getField(document, 'host.ip')).toBeUndefined();
  });

  it('never resolves inherited members such as constructor or __proto__', () => {
    const document = JSON.parse('{"a":{}}') as unknown;
    expect(getField(document, 'constructor')).toBeUndefined();
    expect(getField(document, 'a.__proto__')).toBeUndefined();
    expect(getField(document, 'a.toString')).toBeUndefined();
  });

  it('reads an own "__proto__" key as data', () => {
    const document = JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown;
    expect(getField(document, '__proto__.polluted')).toBe('yes');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('unwraps an Elasticsearch search hit', () => {
    expect(unwrapSearchHit({ _id: 'x', _source: { a: 1 } })).toEqual({ document: { a: 1 }, hitId: 'x' });
    expect(unwrapSearchHit({ a: 1 })).toEqual({ document: { a: 1 }, hitId: null });
  });
});
