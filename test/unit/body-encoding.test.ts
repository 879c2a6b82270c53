import { gzipSync } from 'node:zlib';
import { countReplacementCharacters, findCompressedBody } from '../../src/domain/body-encoding';

describe('findCompressedBody', () => {
  const gzipped = gzipSync('{"a":1}');
  it.each([
    ['Content-Encoding gzip', ['gzip'], '{}', { reason: 'content-encoding', encoding: 'gzip' }],
    ['Content-Encoding BR, upper case', ['BR'], '{}', { reason: 'content-encoding', encoding: 'br' }],
    [
      'two codings, identity dropped',
      ['identity, deflate', 'gzip'],
      '{}',
      { reason: 'content-encoding', encoding: 'deflate, gzip' },
    ],
    ['identity only', ['identity'], '{}', undefined],
    ['empty header', [''], '{}', undefined],
    ['no header, gzip bytes decoded as UTF-8', undefined, gzipped.toString('utf8'), { reason: 'gzip-magic' }],
    ['no header, gzip bytes decoded as Latin-1', undefined, gzipped.toString('latin1'), { reason: 'gzip-magic' }],
    ['no header, JSON', undefined, '{"findings":[]}', undefined],
    ['no header, 1f then an ordinary character', undefined, '\u001fA', undefined],
    ['no header, empty body', undefined, '', undefined],
  ])('%s', (_name, header, body, expected) => {
    expect(findCompressedBody(header, body)).toEqual(expected);
  });
});

describe('countReplacementCharacters', () => {
  it.each([
    ['', 0],
    ['plain ASCII', 0],
    ['Caf\ufffd', 1],
    ['\ufffd\ufffd and \ufffd', 3],
    [Buffer.from([0x7b, 0xe9, 0xff, 0x7d]).toString('utf8'), 2],
  ])('%j → %i', (body, count) => {
    expect(countReplacementCharacters(body)).toBe(count);
  });
});
