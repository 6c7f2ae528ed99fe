import { PageHeading } from '../components/PageHeading';
import { Link } from '../router';

export function NotFoundPage() {
  return (
    <div className="card">
      <PageHeading>Page not found</PageHeading>
      <p>There is no console page at this address.</p>
      <p><Link to="/">Go to the start page</Link></p>
    </div>
  );
}
