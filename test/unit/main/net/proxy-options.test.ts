import { describe, expect, it } from 'vitest';
import { bypassesProxy, proxyFlagFromArgv, redactProxyUrl, resolveProxyOptions } from '../../../../src/main/net/proxy-options';

describe('proxy options', () => {
  it('takes --proxy first, then HTTPS_PROXY, then ALL_PROXY, then the saved setting', () => {
    const saved = { url: 'http://saved.invalid:3128' };
    const env = { HTTPS_PROXY: 'http://env.invalid:8080', ALL_PROXY: 'socks5://all.invalid:1080' };
    expect(resolveProxyOptions({ flag: 'socks5h://flag.invalid:1080', env, saved }).url).toBe('socks5h://flag.invalid:1080');
    expect(resolveProxyOptions({ env, saved }).url).toBe('http://env.invalid:8080');
    expect(resolveProxyOptions({ env: { all_proxy: 'socks5://all.invalid:1080' }, saved }).url).toBe('socks5://all.invalid:1080');
    expect(resolveProxyOptions({ env: {}, saved }).url).toBe('http://saved.invalid:3128');
    expect(resolveProxyOptions({ env: {} }).url).toBeNull();
    // An empty flag turns an inherited proxy off.
    expect(resolveProxyOptions({ flag: '', env, saved }).url).toBeNull();
  });

  it('refuses a proxy it cannot speak, with a message that says what is accepted', () => {
    expect(() => resolveProxyOptions({ flag: 'ftp://x.invalid:21', env: {} })).toThrow(/invalid proxy setting: proxy must be a URL starting with http:\/\//);
    expect(() => resolveProxyOptions({ flag: 'not a url', env: {} })).toThrow(/invalid proxy setting/);
  });

  it('reaches NO_PROXY hosts directly', () => {
    const options = resolveProxyOptions({ flag: 'http://p.invalid:1', env: { NO_PROXY: 'localhost, .corp.invalid,10.0.0.5:8443' } });
    expect(options.noProxy).toEqual(['localhost', '.corp.invalid', '10.0.0.5:8443']);
    expect(bypassesProxy(new URL('ws://localhost:9000/x'), options.noProxy)).toBe(true);
    expect(bypassesProxy(new URL('https://api.corp.invalid/'), options.noProxy)).toBe(true);
    expect(bypassesProxy(new URL('https://10.0.0.5:8443/'), options.noProxy)).toBe(true);
    expect(bypassesProxy(new URL('https://10.0.0.5/'), options.noProxy)).toBe(false);
    expect(bypassesProxy(new URL('wss://stream.binance.invalid:9443/ws'), options.noProxy)).toBe(false);
    expect(bypassesProxy(new URL('wss://anything.invalid/'), ['*'])).toBe(true);
  });

  it('hides the password and reads --proxy from an argument list', () => {
    expect(redactProxyUrl('http://user:secret@p.invalid:3128')).toBe('http://user:***@p.invalid:3128');
    expect(proxyFlagFromArgv(['electron', '.', '--proxy', 'socks5h://127.0.0.1:1080'])).toBe('socks5h://127.0.0.1:1080');
    expect(proxyFlagFromArgv(['electron', '--proxy=http://127.0.0.1:3128'])).toBe('http://127.0.0.1:3128');
    expect(proxyFlagFromArgv(['electron'])).toBeUndefined();
  });
});
