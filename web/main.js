// Page entry point: defines <gan-playground> and <dirac-gan>; the page markup holds the elements.
import './element/gan-playground.js';
import './dirac/dirac-gan.js';
