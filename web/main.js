// Page entry point: defines <gan-playground>; the page markup holds the element itself.
import './gan-playground.js';
