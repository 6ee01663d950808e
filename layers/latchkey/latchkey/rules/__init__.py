"""Pure rules: no I/O, no AWS; testable without moto. They import nothing of ours but the errors."""
