import { describe, expect, it } from 'vitest'
import { maskIdNumber, maskPhone } from '../../../src/auth/personal-data.js'
import { idNumberCheck, parseIdNumber } from '../../../src/modules/party/id-number.js'

describe('resident ID numbers', () => {
  it('should compute the GB 11643 check character, X included', () => {
    expect(idNumberCheck('11010519491231002')).toBe('X')
    expect(idNumberCheck('44052418800101001')).toBe('4')
  })

  it('should read the birth year and gender of a valid number', () => {
    expect(parseIdNumber('11010519491231002X')).toEqual({ birthYear: 1949, gender: 'FEMALE' })
    expect(parseIdNumber(`32010219900307123${idNumberCheck('32010219900307123')}`)).toEqual({
      birthYear: 1990,
      gender: 'MALE',
    })
    expect(parseIdNumber('440524188001010014')).toBeNull() // valid check character, but born before 1900
    expect(parseIdNumber(' 11010519491231002x ')).toEqual({ birthYear: 1949, gender: 'FEMALE' })
  })

  it('should refuse a wrong check character, an impossible date or a wrong length', () => {
    expect(parseIdNumber('110105194912310021')).toBeNull()
    expect(parseIdNumber('110105194902300021')).toBeNull()
    expect(parseIdNumber('11010519491231002')).toBeNull()
  })

  it('should mask an ID number to its first 3 and last 4 characters, and a phone to 3 + 4 digits', () => {
    expect(maskIdNumber('110105194912310021')).toBe('110***********0021')
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X')
    expect(maskIdNumber(null)).toBeNull()
    expect(maskIdNumber('12345')).toBe('*****')
    expect(maskPhone('13812341234')).toBe('138****1234')
  })
})
