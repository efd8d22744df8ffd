"""Reports read the other apps' data; models for stored reports arrive with their issue."""
