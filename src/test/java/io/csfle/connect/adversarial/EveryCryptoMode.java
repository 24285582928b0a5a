package io.csfle.connect.adversarial;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A test run once in each of {@link KnownDeks.CryptoMode#all()}, named after the mode. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("io.csfle.connect.adversarial.KnownDeks$CryptoMode#all")
@interface EveryCryptoMode {}
