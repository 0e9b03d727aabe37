import './app/theme.css';
import './app/parvis-app';
