"""The site's legal pages: terms of use and privacy policy, in Chinese and English."""
