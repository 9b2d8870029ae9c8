import { TemplateError } from './template-error';
import { TemplateRenderer } from './template-renderer';

describe('TemplateRenderer safety', () => {
  const renderer = new TemplateRenderer();

  it('reports templates that do not compile as invalid_template', () => {
    for (const template of [
      '{{#if x}}unclosed',
      '{{> partial}}',
      '{{unknownHelper x}}',
      '{{lookup this "constructor"}}',
      '{{log "x"}}',
    ]) {
      expect(() => renderer.check(template)).toThrow(expect.objectContaining({ code: 'invalid_template' }));
    }
  });

  it('is strict: a missing field is an error, not a blank', () => {
    expect(() => renderer.render('{{incident.title}}', {})).toThrow(
      expect.objectContaining({ code: 'render_failed' }),
    );
  });

  it('cannot reach prototypes through constructor or __proto__', () => {
    const probes = [
      '{{constructor.constructor "return process"}}',
      '{{#with this}}{{constructor.constructor.name}}{{/with}}',
      '{{title.constructor.name}}',
      '{{__proto__.polluted}}',
      '{{#each hosts}}{{this.constructor.name}}{{/each}}',
    ];
    for (const template of probes) {
      let output = '';
      try {
        output = renderer.render(template, { title: 'x', hosts: ['a'] });
      } catch (failure) {
        expect(failure).toBeInstanceOf(TemplateError);
      }
      expect(output).not.toMatch(/Function|Object|String|process/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats alert data as data: template syntax inside a value is not evaluated', () => {
    expect(renderer.render('{{title}}', { title: '{{constructor.constructor "return 1"}}' })).toBe(
      '{{constructor.constructor "return 1"}}',
    );
  });

  it('escapes data for HTML in html mode, and leaves text alone by default', () => {
    const data = { title: '<script>alert(1)</script> & "x"' };
    expect(new TemplateRenderer({ escape: 'html' }).render('<h1>{{title}}</h1>', data)).toBe(
      '<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</h1>',
    );
    expect(renderer.render('{{title}}', data)).toBe(data.title);
  });
});

describe('TemplateRenderer.check', () => {
  const renderer = new TemplateRenderer();

  it.each([
    '{{#if}}',
    '{{#if}}{{/if}}',
    '{{#unless}}x{{/unless}}',
    '{{#each}}{{/each}}',
    '{{#with a b}}{{/with}}',
    '{{default a}}',
    '{{join a b c}}',
    '{{upper (default a)}}',
  ])('refuses %p, which could never render', (template) => {
    expect(() => renderer.check(template)).toThrow(expect.objectContaining({ code: 'invalid_template' }));
  });

  it('accepts helpers given their arguments, and a bare name as a field', () => {
    for (const template of [
      '{{#if a}}x{{/if}}',
      '{{default a "b"}}',
      '{{join tags}}',
      '{{join tags ";"}}',
      '{{upper}}',
    ]) {
      expect(() => renderer.check(template)).not.toThrow();
    }
  });
});
