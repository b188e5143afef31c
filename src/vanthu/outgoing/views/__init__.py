"""HTML screens of outgoing documents, one module per screen (STYLE.md §6: parse → one service
call → render presenter data)."""
