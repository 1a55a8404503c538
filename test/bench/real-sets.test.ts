import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAmount, readDate } from './real-sets.js';

const run = promisify(execFile);
const bench = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'test/bench/real-sets.ts', ...args], { cwd: new URL('../..', import.meta.url) });

// The converters only copy the documents: the fixtures' bytes need not be real PDFs or images.
describe('npm run bench:real-sets', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'real-sets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--invoice2data writes a truth row per value for each document beside a JSON, its scan too, and skips what it cannot read', async () => {
    const set = path.join(dir, 'compare');
    await mkdir(set);
    const json = (values: object) => JSON.stringify([{ ...values, lines: [{ name: 'Widget', price_unit: '1.00' }], desc: 'Invoice from a test' }]);
    await writeFile(path.join(set, 'acme.json'), json({ issuer: 'Acme, Inc.', amount: 1234.5, date: '2021-04-30', invoice_number: 'INV-7', currency: 'USD' }));
    await writeFile(path.join(set, 'acme.pdf'), '%PDF-1.4 acme');
    await writeFile(path.join(set, 'acme.png'), 'png acme');
    await writeFile(path.join(set, 'kapper.json'), JSON.stringify({ issuer: 'Kapper Jansen', amount: '49.99', date: '2022-09-08T00:00:00', invoice_number: '0042', currency: 'EUR' }));
    await writeFile(path.join(set, 'kapper.pdf'), '%PDF-1.4 kapper');
    // No amount: skipped (a truth without the total would count a right total as wrong).
    await writeFile(path.join(set, 'lines.json'), json({ issuer: 'Lines Test', amount: null, date: '2022-01-01', invoice_number: 'L1', currency: 'USD' }));
    await writeFile(path.join(set, 'lines.pdf'), '%PDF-1.4 lines');
    // A text dump is no document a user uploads.
    await writeFile(path.join(set, 'dump.json'), json({ issuer: 'Dump', amount: 1, date: '2021-01-01', invoice_number: 'D', currency: 'PLN' }));
    await writeFile(path.join(set, 'dump.txt'), 'text');

    const out = path.join(dir, 'out');
    const { stdout } = await bench(['--invoice2data', set, '--out', out]);
    expect(await readFile(path.join(out, 'truth.csv'), 'utf8')).toBe(
      [
        'file,field,type,value',
        'acme.pdf,invoice_number,text,INV-7',
        'acme.pdf,invoice_date,date,2021-04-30',
        'acme.pdf,total,currency,1234.50',
        'acme.pdf,vendor,text,"Acme, Inc."',
        'acme.pdf,currency,text,USD',
        'acme.png,invoice_number,text,INV-7',
        'acme.png,invoice_date,date,2021-04-30',
        'acme.png,total,currency,1234.50',
        'acme.png,vendor,text,"Acme, Inc."',
        'acme.png,currency,text,USD',
        'kapper.pdf,invoice_number,text,0042',
        'kapper.pdf,invoice_date,date,2022-09-08',
        'kapper.pdf,total,currency,49.99',
        'kapper.pdf,vendor,text,Kapper Jansen',
        'kapper.pdf,currency,text,EUR',
        '',
      ].join('\n'),
    );
    expect((await readdir(out)).sort()).toEqual(['acme.pdf', 'acme.png', 'kapper.pdf', 'truth.csv']);
    expect(await readFile(path.join(out, 'acme.pdf'), 'utf8')).toBe('%PDF-1.4 acme');
    expect(stdout).toContain('dump.json: no .pdf/.png/.jpg/.jpeg document beside it');
    expect(stdout).toContain('lines.pdf: skipped, lines.json has no readable amount null');
    expect(stdout).toContain('3 documents and 15 truth rows');
  }, 60_000);

  it('--sroie reads key/<n>.json for img/<n>.jpg, day-first dates in their forms, receipts --from to --to', async () => {
    const data = path.join(dir, 'data');
    await mkdir(path.join(data, 'key'), { recursive: true });
    await mkdir(path.join(data, 'img'));
    const receipts: Record<string, object> = {
      '000': { company: 'KEDAI RUNCIT MAJU SDN BHD', date: '25/12/2018', address: 'JALAN 1', total: '9.00' },
      '001': { company: 'GERAI MAKAN SETIA', date: '02-01-19', total: 'RM 33.90' },
      '002': { company: 'POP BOOKS', date: '2017-03-18', total: '$8.20' },
      '003': { company: 'SYARIKAT BARU', date: '18 Mar 2018', total: '1,200.00' },
      '004': { company: 'NO DATE TRADING', date: '08122018', total: '5.00' },
      '005': { company: 'NO TOTAL ENTERPRISE', date: '01/01/2018', total: '' },
      '006': { company: 'OUT OF RANGE', date: '01/01/2018', total: '1.00' },
    };
    for (const [number, key] of Object.entries(receipts)) {
      await writeFile(path.join(data, 'key', `${number}.json`), JSON.stringify(key));
      await writeFile(path.join(data, 'img', `${number}.jpg`), `jpeg ${number}`);
    }
    const out = path.join(dir, 'out');
    const { stdout } = await bench(['--sroie', data, '--from', '0', '--to', '5', '--out', out]);
    expect(await readFile(path.join(out, 'truth.csv'), 'utf8')).toBe(
      [
        'file,field,type,value',
        '000.jpg,invoice_date,date,2018-12-25',
        '000.jpg,total,currency,9.00',
        '000.jpg,vendor,text,KEDAI RUNCIT MAJU SDN BHD',
        '001.jpg,invoice_date,date,2019-01-02',
        '001.jpg,total,currency,33.90',
        '001.jpg,vendor,text,GERAI MAKAN SETIA',
        '002.jpg,invoice_date,date,2017-03-18',
        '002.jpg,total,currency,8.20',
        '002.jpg,vendor,text,POP BOOKS',
        '003.jpg,invoice_date,date,2018-03-18',
        '003.jpg,total,currency,1200.00',
        '003.jpg,vendor,text,SYARIKAT BARU',
        '',
      ].join('\n'),
    );
    expect((await readdir(out)).sort()).toEqual(['000.jpg', '001.jpg', '002.jpg', '003.jpg', 'truth.csv']);
    expect(stdout).toContain('004.jpg: skipped, no readable date "08122018"');
    expect(stdout).toContain('005.jpg: skipped, no readable total ""');
    expect(stdout).not.toContain('006');
  }, 60_000);

  it('reads dates and amounts only in forms that say which they are', () => {
    expect(readDate('25/12/2018')).toBe('2018-12-25');
    expect(readDate('1/2/2018')).toBe('2018-02-01');
    expect(readDate('12-01-19')).toBe('2019-01-12');
    expect(readDate('(31/03/2018)')).toBe('2018-03-31');
    expect(readDate('30 JUN 2018')).toBe('2018-06-30');
    expect(readDate('05-Jan-2017')).toBe('2017-01-05');
    expect(readDate('Mar 9, 2018')).toBe('2018-03-09');
    expect(readDate('2018/04/20')).toBe('2018-04-20');
    for (const unread of ['08122018', '31/02/2018', '12/25/2018', 'soon', '', null, 20180101]) expect(readDate(unread), String(unread)).toBeNull();
    expect(readAmount(4.11)).toBe(4.11);
    expect(readAmount('RM4.00')).toBe(4);
    expect(readAmount('12,345.60')).toBe(12345.6);
    for (const unread of ['', 'free', '4,00', null, Number.NaN]) expect(readAmount(unread), String(unread)).toBeNull();
  });
});
