import { originsOf } from '../../shared/http/cors';

test('the CORS origins setting: origins only, trimmed, a trailing slash dropped', () => {
  expect(originsOf(undefined)).toEqual([]);
  expect(originsOf(' https://ops.example.gov.cn/ , http://localhost:5173')).toEqual([
    'https://ops.example.gov.cn',
    'http://localhost:5173',
  ]);
});

test.each(['*', 'https://*.example.com', 'https://ops.example.com/app', 'ops.example.com', 'ftp://ops.example.com'])(
  'refuses %s, naming it',
  (setting) => {
    expect(() => originsOf(`https://fine.example.com,${setting}`)).toThrow(`CORS origins: ${setting}`);
  },
);
