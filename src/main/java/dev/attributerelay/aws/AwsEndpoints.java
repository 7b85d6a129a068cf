package dev.attributerelay.aws;

import java.net.URI;
import java.util.Map;

/**
 * Where a service's calls go: the endpoint the environment names (the service's own variable, then the general
 * {@code AWS_ENDPOINT_URL}, as the SDK reads them), else the regional endpoint {@code https://<service>.<region>.
 * <suffix>}, whose DNS suffix depends on the partition the region belongs to. The SDK's endpoint rules say the same
 * for DynamoDB and SQS in every region it knows (AwsEndpointsTest checks all of them).
 */
public final class AwsEndpoints {
    private AwsEndpoints() {
    }

    public static URI of(AwsService service, String region, Map<String, String> env) {
        String variable = service.endpointVariable();
        String named = present(env.get(variable));
        if (named == null) {
            variable = "AWS_ENDPOINT_URL";
            named = present(env.get(variable));
        }
        if (named != null) {
            URI uri;
            try {
                uri = URI.create(named);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null
                    || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new IllegalStateException(variable + " must be an http(s) URL with a host, not '" + named + "'");
            }
            return uri;
        }
        return regional(service, region);
    }

    /** The public endpoint of the service in the region. */
    public static URI regional(AwsService service, String region) {
        return URI.create("https://" + service.hostPrefix() + "." + region + "." + dnsSuffix(region));
    }

    /**
     * The partition's DNS suffix: China and the isolated and sovereign partitions have their own; GovCloud shares
     * the commercial one. A region of no known partition is taken as commercial, as the SDK does.
     */
    static String dnsSuffix(String region) {
        if (region.startsWith("cn-")) {
            return "amazonaws.com.cn";
        }
        if (region.startsWith("us-isob-")) {
            return "sc2s.sgov.gov";
        }
        if (region.startsWith("us-isof-")) {
            return "csp.hci.ic.gov";
        }
        if (region.startsWith("us-iso-")) {
            return "c2s.ic.gov";
        }
        if (region.startsWith("eu-isoe-")) {
            return "cloud.adc-e.uk";
        }
        if (region.startsWith("eusc-")) {
            return "amazonaws.eu";
        }
        return "amazonaws.com";
    }

    private static String present(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
