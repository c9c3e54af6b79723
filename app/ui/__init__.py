"""The Qt window: widgets that collect input, call one service function and show what it returned."""
