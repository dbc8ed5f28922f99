# Here-documents: with expansion, quoted (no expansion), tab-stripping, into read, and nested in
# a function.
steps() {
    guest sh -c '
who=world
cat_builtin() { while IFS= read -r line; do echo "| $line"; done; }
cat_builtin <<END
hello $who
arithmetic $((6 * 7))
  indented line
END
cat_builtin <<"END"
no expansion: $who $((1 + 1)) `echo x`
END
cat_builtin <<-END
	leading tabs removed
		both tabs removed
	END
read first second rest <<END
one two three four
END
echo "$first/$second/$rest"
count=0
while read -r line; do count=$((count + 1)); done <<END
a
b
c
END
echo "lines: $count"
'
}
