/**
 * Spring Boot auto-configuration of the optical memory for Spring AI applications: {@link
 * dev.opticalmemory.spring.boot.OpticalMemoryAutoConfiguration}, its properties and health.
 */
package dev.opticalmemory.spring.boot;
