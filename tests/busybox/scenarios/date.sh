# date on fixed times (the current time differs between two runs): the epoch, formats, time zones
# given by TZ, and an unparsable date.
steps() {
    guest date -u -d @0
    guest date -u -d @1234567890
    guest date -u -d @2147483647 '+%Y-%m-%d %H:%M:%S %A %B %j %U %s'
    guest date -u -d @-86400 +%F
    guest date -u -d '2020-02-29 12:34:56' '+%a %b %e %H:%M:%S %Z %Y'
    guest date -u -R -d @1000000000
    guest date -u -d @86399 '+%I:%M %p'
    guest date -u -d 'not a date'
}
