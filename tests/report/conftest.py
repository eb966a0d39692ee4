import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the report renders with QtGui: no screen needed
