"""The Qt front end of the room proctor console: what the people in the room see."""
