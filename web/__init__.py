"""The review web app: operators sign in, drop files, and clear the fields the machine doubts."""
